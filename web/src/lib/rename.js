// Renames (or moves) an object the way S3 allows: CopyObject to the new key, then DeleteObject of
// the old one, both only for the version that was read (its ETag). The new key must be free: a
// HEAD says so early, and the copy's If-None-Match: * makes sure of it as the copy is stored.

export class RenameRefused extends Error {
  // where: "key" (a problem with the new key, shown at the field) or "object"
  constructor(where, message) {
    super(message);
    this.name = "RenameRefused";
    this.where = where;
  }
}

// Resolves with {oldKept}: true when the object at `from` changed after the copy was made, so it
// was not deleted and both keys now hold an object. Throws RenameRefused when nothing was done.
export async function renameObject(s3, bucket, from, to, etag) {
  const taken = () => new RenameRefused("key", `${to} already exists. Choose another key, or delete that object first.`);
  if (await s3.objectExists(bucket, to)) throw taken();
  try {
    await s3.copyToFreeKey(bucket, from, to, etag);
  } catch (e) {
    if (e.code === "PreconditionFailed") {
      // Either the new key was taken meanwhile or the object changed: the answer does not say.
      if (await s3.objectExists(bucket, to)) throw taken();
      throw new RenameRefused("object", `${from} changed since its details were read, so nothing was renamed. Close the details and open the object again to rename its current version.`);
    }
    if (e.code === "NoSuchKey") throw new RenameRefused("object", `${from} no longer exists.`);
    throw e;
  }
  try {
    await s3.deleteObject(bucket, from, { ifMatch: etag });
  } catch (e) {
    if (e.code === "PreconditionFailed") return { oldKept: true };
    if (e.code === "NoSuchKey") return { oldKept: false };  // deleted meanwhile: the move is done
    throw new Error(`Copied to ${to}, but ${from} could not be deleted: ${e.message}`);
  }
  return { oldKept: false };
}
