"""Bucket lifecycle rules (issue 3): x-amz-abort-date / x-amz-abort-rule-id on
CreateMultipartUpload, Put/Get/DeleteBucketLifecycleConfiguration and their errors, and what the
sweeper does with the server's clock moved forward through the test hooks
(serve --enable-test-hooks: POST /_cairn/test/clock?advance-seconds=N, POST /_cairn/test/sweep):
R2's default 7-day abort of incomplete uploads, AbortIncompleteMultipartUpload rules replacing it
for their prefix, Expiration (Days, Date), Transition to STANDARD_IA (Days, Date), and Disabled
rules doing nothing. Every clock test starts its own cairn, so that each begins at the real time."""
import datetime
import email.utils
import os
import re
import time
import unittest

from botocore.exceptions import ClientError

import cairn_server
import s3sig
from cairn_server import DAY, CairnTestCase, raw_request

MiB = 1024 * 1024
DEFAULT_RULE = "Default Multipart Abort Rule"
IMF_FIXDATE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|"
                         r"Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$")
UTC = datetime.timezone.utc


def tearDownModule():
    cairn_server.shutdown()


def midnight_in(days):
    """Midnight UTC `days` days after today (UTC)."""
    today = datetime.datetime.now(UTC).date()
    d = today + datetime.timedelta(days=days)
    return datetime.datetime(d.year, d.month, d.day, tzinfo=UTC)


def rule(rule_id, prefix, status="Enabled", **actions):
    r = {"ID": rule_id, "Filter": {"Prefix": prefix}, "Status": status}
    r.update(actions)
    return r


def normalise(rules):
    """Rules as comparable tuples, whichever form (Filter/Prefix or legacy Prefix) came back."""
    out = []
    for r in rules:
        prefix = r.get("Filter", {}).get("Prefix", r.get("Prefix", ""))
        if "Filter" in r and "And" in r["Filter"]:
            prefix = r["Filter"]["And"].get("Prefix", "")
        exp = r.get("Expiration", {})
        out.append((
            r.get("ID"), prefix or "", r.get("Status"),
            r.get("AbortIncompleteMultipartUpload", {}).get("DaysAfterInitiation"),
            exp.get("Days"), exp["Date"].astimezone(UTC) if "Date" in exp else None,
            tuple((t.get("Days"), t["Date"].astimezone(UTC) if "Date" in t else None,
                   t.get("StorageClass")) for t in r.get("Transitions", [])),
        ))
    return sorted(out, key=lambda x: x[0] or "")


def lifecycle_xml(*rules_xml):
    return ('<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">%s'
            '</LifecycleConfiguration>' % "".join(rules_xml)).encode()


def rule_xml(inner, rule_id="r1", prefix="p/", status="Enabled"):
    head = ""
    if rule_id is not None:
        head += "<ID>%s</ID>" % rule_id
    if prefix is not None:
        head += "<Filter><Prefix>%s</Prefix></Filter>" % prefix
    if status is not None:
        head += "<Status>%s</Status>" % status
    return "<Rule>%s%s</Rule>" % (head, inner)


def put_lifecycle_raw(bucket, body, t=None):
    return raw_request("PUT", "/" + bucket, [("lifecycle", "")], body=body, t=t,
                       headers={"Content-MD5": s3sig.content_md5(body),
                                "Content-Type": "application/xml"})


class LifecycleMixin:
    """Needs self.s3 and self.t."""

    def put_rules(self, bucket, *rules):
        r = self.s3.put_bucket_lifecycle_configuration(
            Bucket=bucket, LifecycleConfiguration={"Rules": list(rules)})
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)

    def get_rules(self, bucket):
        return self.s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]

    def assertNoLifecycle(self, bucket):
        with self.assertRaises(ClientError) as cm:
            self.s3.get_bucket_lifecycle_configuration(Bucket=bucket)
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], "NoSuchLifecycleConfiguration", err)
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 404, err)

    def create_upload(self, bucket, key):
        """CreateMultipartUpload; returns (upload id, abort date, abort rule id, raw header)."""
        r = self.s3.create_multipart_upload(Bucket=bucket, Key=key)
        hdrs = r["ResponseMetadata"]["HTTPHeaders"]
        return r["UploadId"], r.get("AbortDate"), r.get("AbortRuleId"), hdrs.get("x-amz-abort-date")

    def initiated(self, bucket, key, upload_id):
        for u in self.s3.list_multipart_uploads(Bucket=bucket, Prefix=key).get("Uploads", []):
            if u["UploadId"] == upload_id:
                return u["Initiated"]
        self.fail("upload %s of %s not listed" % (upload_id, key))

    def assertAbortSchedule(self, bucket, key, days, rule_id):
        uid, date, got_rule, raw = self.create_upload(bucket, key)
        self.assertIsNotNone(raw, "no x-amz-abort-date")
        self.assertRegex(raw, IMF_FIXDATE)
        self.assertEqual(email.utils.parsedate_to_datetime(raw), date)
        self.assertEqual(got_rule, rule_id)
        init = self.initiated(bucket, key, uid)
        delta = (date - (init + datetime.timedelta(days=days))).total_seconds()
        self.assertLessEqual(abs(delta), 2, "abort date %s, initiated %s, %d days" %
                             (date, init, days))
        return uid

    def upload_ids(self, bucket):
        return sorted(u["UploadId"] for u in
                      self.s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []))


# ============================================================================================


class ConfigurationTests(LifecycleMixin, CairnTestCase):
    """Against the suite's shared server, whose clock is never moved."""
    server_args = (cairn_server.TEST_HOOKS,)
    cleanup_uploads = True

    def test_default_abort_headers(self):
        b = self.new_bucket("lc-hdr")
        uid = self.assertAbortSchedule(b, "big.bin", 7, DEFAULT_RULE)
        # The server's clock is the real one here: the date is a week from now.
        init = self.initiated(b, "big.bin", uid)
        skew = abs((init - datetime.datetime.now(UTC)).total_seconds())
        self.assertLess(skew, 120, "Initiated %s is not now" % init)

    def test_abort_headers_of_a_matching_rule(self):
        b = self.new_bucket("lc-hdr-rule")
        self.put_rules(b,
                       rule("tmp-2-days", "tmp/",
                            AbortIncompleteMultipartUpload={"DaysAfterInitiation": 2}),
                       rule("off", "other/", status="Disabled",
                            AbortIncompleteMultipartUpload={"DaysAfterInitiation": 1}),
                       rule("expire-only", "tmp/", Expiration={"Days": 5}))
        self.assertAbortSchedule(b, "tmp/upload.bin", 2, "tmp-2-days")
        self.assertAbortSchedule(b, "other/upload.bin", 7, DEFAULT_RULE)
        self.assertAbortSchedule(b, "tmpnot/upload.bin", 7, DEFAULT_RULE)
        # Once the configuration is gone, the default applies again.
        self.s3.delete_bucket_lifecycle(Bucket=b)
        self.assertAbortSchedule(b, "tmp/again.bin", 7, DEFAULT_RULE)

    def test_list_parts_tells_the_same_abort_schedule(self):
        b = self.new_bucket("lc-parts")
        self.put_rules(b, rule("tmp-2-days", "tmp/",
                               AbortIncompleteMultipartUpload={"DaysAfterInitiation": 2}))
        for key, rule_id in (("tmp/a.bin", "tmp-2-days"), ("keep/a.bin", DEFAULT_RULE)):
            uid, date, got_rule, _ = self.create_upload(b, key)
            parts = self.s3.list_parts(Bucket=b, Key=key, UploadId=uid)
            self.assertEqual(parts.get("AbortDate"), date, key)
            self.assertEqual(parts.get("AbortRuleId"), rule_id, key)
        # A later change of the rules moves the abort date of the uploads it matches.
        self.put_rules(b, rule("tmp-1-day", "tmp/",
                               AbortIncompleteMultipartUpload={"DaysAfterInitiation": 1}))
        uid = [u["UploadId"] for u in self.s3.list_multipart_uploads(Bucket=b, Prefix="tmp/")["Uploads"]][0]
        parts = self.s3.list_parts(Bucket=b, Key="tmp/a.bin", UploadId=uid)
        self.assertEqual(parts["AbortRuleId"], "tmp-1-day")
        init = self.initiated(b, "tmp/a.bin", uid)
        self.assertLessEqual(abs((parts["AbortDate"] - init - datetime.timedelta(days=1)).total_seconds()), 2)

    def test_the_rule_with_fewest_days_wins(self):
        b = self.new_bucket("lc-hdr-two")
        self.put_rules(b,
                       rule("all-5", "", AbortIncompleteMultipartUpload={"DaysAfterInitiation": 5}),
                       rule("tmp-3", "tmp/",
                            AbortIncompleteMultipartUpload={"DaysAfterInitiation": 3}),
                       rule("long-10", "long/",
                            AbortIncompleteMultipartUpload={"DaysAfterInitiation": 10}))
        self.assertAbortSchedule(b, "tmp/x", 3, "tmp-3")
        self.assertAbortSchedule(b, "elsewhere/x", 5, "all-5")
        self.assertAbortSchedule(b, "long/x", 5, "all-5")

    def test_put_get_delete_round_trip(self):
        b = self.new_bucket("lc-rt")
        self.assertNoLifecycle(b)
        date = midnight_in(30)
        rules = [
            rule("abort-tmp", "tmp/", AbortIncompleteMultipartUpload={"DaysAfterInitiation": 2}),
            rule("expire-logs", "logs/", Expiration={"Days": 30}),
            rule("expire-date", "old/", status="Disabled", Expiration={"Date": date}),
            rule("to-ia", "cold/", Transitions=[{"Days": 30, "StorageClass": "STANDARD_IA"}]),
            rule("to-ia-date", "", Transitions=[{"Date": date, "StorageClass": "STANDARD_IA"}]),
        ]
        self.put_rules(b, *rules)
        self.assertEqual(normalise(self.get_rules(b)), normalise(rules))
        # Raw: an XML document with the rules.
        r = raw_request("GET", "/" + b, [("lifecycle", "")])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.xml().tag.split("}")[-1], "LifecycleConfiguration")
        self.assertEqual(len(cairn_server.xml_all(r.xml(), "Rule")), 5)
        # A second put replaces the whole configuration.
        replacement = [rule("only", "x/", Expiration={"Days": 1})]
        self.put_rules(b, *replacement)
        self.assertEqual(normalise(self.get_rules(b)), normalise(replacement))
        r = self.s3.delete_bucket_lifecycle(Bucket=b)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertNoLifecycle(b)

    def test_rules_without_an_id_get_one_that_stays(self):
        # S3 assigns an ID to a rule sent without one and returns it (minio/minio#10084).
        b = self.new_bucket("lc-noid")
        self.put_rules(b, {"Filter": {"Prefix": "a/"}, "Status": "Enabled",
                           "Expiration": {"Days": 5}},
                       {"Filter": {"Prefix": "b/"}, "Status": "Enabled",
                        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}},
                       rule("named", "c/", Expiration={"Days": 9}))
        first = self.get_rules(b)
        ids = [r.get("ID") for r in first]
        self.assertEqual(ids[2], "named")
        for generated in ids[:2]:
            self.assertRegex(generated or "", r"^[A-Za-z0-9]{48}$")
        self.assertNotEqual(ids[0], ids[1])
        self.assertEqual([r.get("ID") for r in self.get_rules(b)], ids)  # stored, not re-made
        # It is the rule's name wherever the rule shows: the abort rule of an upload under b/.
        self.assertAbortSchedule(b, "b/upload", 2, ids[1])

    def test_versioning_era_elements_are_kept(self):
        # As Terraform's and the AWS CLI's templates write them. No-ops on a bucket without
        # versioning (on S3 as on cairn), but stored and returned rather than refused.
        b = self.new_bucket("lc-versions")
        versions = {
            "ID": "versions", "Filter": {"Prefix": "logs/"}, "Status": "Enabled",
            "Expiration": {"ExpiredObjectDeleteMarker": True},
            "NoncurrentVersionTransitions": [
                {"NoncurrentDays": 30, "StorageClass": "STANDARD_IA"},
                {"NoncurrentDays": 90, "StorageClass": "GLACIER"}],
            "NoncurrentVersionExpiration": {"NoncurrentDays": 365},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
        }
        self.put_rules(b, versions)
        got = self.get_rules(b)
        self.assertEqual(len(got), 1)
        self.assertEqual(got[0]["Expiration"], {"ExpiredObjectDeleteMarker": True})
        self.assertEqual(got[0]["NoncurrentVersionTransitions"],
                         versions["NoncurrentVersionTransitions"])
        self.assertEqual(got[0]["NoncurrentVersionExpiration"], {"NoncurrentDays": 365})
        self.assertEqual(got[0]["AbortIncompleteMultipartUpload"], {"DaysAfterInitiation": 7})
        # NewerNoncurrentVersions (botocore 1.23 and later model it) round-trips too.
        newer = {"ID": "newer", "Filter": {}, "Status": "Enabled",
                 "NoncurrentVersionExpiration": {"NoncurrentDays": 30,
                                                 "NewerNoncurrentVersions": 3}}
        self.put_rules(b, newer)
        self.assertEqual(self.get_rules(b)[0]["NoncurrentVersionExpiration"],
                         {"NoncurrentDays": 30, "NewerNoncurrentVersions": 3})

    def test_legacy_rule_prefix(self):
        b = self.new_bucket("lc-legacy")
        body = lifecycle_xml("<Rule><ID>legacy</ID><Prefix>logs/</Prefix><Status>Enabled</Status>"
                             "<Expiration><Days>3</Days></Expiration></Rule>")
        r = put_lifecycle_raw(b, body)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(normalise(self.get_rules(b)),
                         normalise([rule("legacy", "logs/", Expiration={"Days": 3})]))

    def test_no_such_lifecycle_configuration(self):
        b = self.new_bucket("lc-none")
        self.assertNoLifecycle(b)
        r = raw_request("GET", "/" + b, [("lifecycle", "")])
        self.assertS3Error(r, 404, "NoSuchLifecycleConfiguration")
        # Deleting a configuration that does not exist is not an error (S3: 204).
        r = self.s3.delete_bucket_lifecycle(Bucket=b)
        self.assertIn(r["ResponseMetadata"]["HTTPStatusCode"], (200, 204))

    def test_missing_bucket(self):
        name = "lc-missing-" + os.urandom(4).hex()
        with self.assertRaises(ClientError) as cm:
            self.s3.get_bucket_lifecycle_configuration(Bucket=name)
        self.assertClientError(cm.exception, "NoSuchBucket", 404)
        with self.assertRaises(ClientError) as cm:
            self.put_rules(name, rule("r", "", Expiration={"Days": 1}))
        self.assertClientError(cm.exception, "NoSuchBucket", 404)

    def test_invalid_configurations(self):
        b = self.new_bucket("lc-bad")
        good = [rule("keep", "k/", Expiration={"Days": 9})]
        self.put_rules(b, *good)
        either = ("MalformedXML", "InvalidArgument")
        bad_date = midnight_in(10).replace(hour=12).strftime("%Y-%m-%dT%H:%M:%SZ")
        ok_date = midnight_in(10).strftime("%Y-%m-%dT%H:%M:%SZ")
        cases = [
            ("not xml", b"this is not xml", "MalformedXML"),
            ("truncated xml", lifecycle_xml(rule_xml(
                "<Expiration><Days>1</Days></Expiration>"))[:-30], "MalformedXML"),
            ("no rules", lifecycle_xml(), "MalformedXML"),
            ("unknown status", lifecycle_xml(rule_xml(
                "<Expiration><Days>1</Days></Expiration>", status="Sometimes")), "MalformedXML"),
            ("no status", lifecycle_xml(rule_xml(
                "<Expiration><Days>1</Days></Expiration>", status=None)), "MalformedXML"),
            ("days not a number", lifecycle_xml(rule_xml(
                "<Expiration><Days>soon</Days></Expiration>")), "MalformedXML"),
            ("no action", lifecycle_xml(rule_xml("")), either),
            ("zero expiration days", lifecycle_xml(rule_xml(
                "<Expiration><Days>0</Days></Expiration>")), either),
            ("zero abort days", lifecycle_xml(rule_xml(
                "<AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation>"
                "</AbortIncompleteMultipartUpload>")), either),
            ("days and date", lifecycle_xml(rule_xml(
                "<Expiration><Days>1</Days><Date>%s</Date></Expiration>" % ok_date)), either),
            ("date not at midnight", lifecycle_xml(rule_xml(
                "<Expiration><Date>%s</Date></Expiration>" % bad_date)), either),
            ("duplicate ids", lifecycle_xml(
                rule_xml("<Expiration><Days>1</Days></Expiration>", rule_id="same", prefix="a/"),
                rule_xml("<Expiration><Days>2</Days></Expiration>", rule_id="same", prefix="b/")),
             either),
            ("id too long", lifecycle_xml(rule_xml(
                "<Expiration><Days>1</Days></Expiration>", rule_id="x" * 256)), either),
            ("delete marker with days", lifecycle_xml(rule_xml(
                "<Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true"
                "</ExpiredObjectDeleteMarker></Expiration>")), either),
            ("noncurrent expiration without days", lifecycle_xml(rule_xml(
                "<NoncurrentVersionExpiration></NoncurrentVersionExpiration>")), either),
            ("zero noncurrent days", lifecycle_xml(rule_xml(
                "<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays>"
                "</NoncurrentVersionExpiration>")), either),
            ("transition to an unknown class", lifecycle_xml(rule_xml(
                "<Transition><Days>30</Days><StorageClass>NO_SUCH_CLASS</StorageClass>"
                "</Transition>")), either + ("InvalidStorageClass",)),
        ]
        for name, body, codes in cases:
            with self.subTest(case=name):
                r = put_lifecycle_raw(b, body)
                self.assertS3Error(r, 400, codes)
        # None of them replaced the stored configuration.
        self.assertEqual(normalise(self.get_rules(b)), normalise(good))

    def test_wrong_content_md5_is_bad_digest(self):
        # S3 requires Content-MD5 (or an x-amz-checksum) on PutBucketLifecycleConfiguration.
        b = self.new_bucket("lc-md5")
        body = lifecycle_xml(rule_xml("<Expiration><Days>1</Days></Expiration>"))
        r = raw_request("PUT", "/" + b, [("lifecycle", "")], body=body,
                        headers={"Content-MD5": s3sig.content_md5(b"other")})
        self.assertS3Error(r, 400, "BadDigest")
        self.assertNoLifecycle(b)

    @unittest.skipIf(cairn_server.external(), "starts its own cairn")
    def test_hooks_need_the_flag(self):
        with cairn_server.CairnServer(name="lifecycle-nohooks") as server:
            t = server.target()
            for action, query in (("clock", [("advance-seconds", "86400")]), ("sweep", [])):
                with self.subTest(hook=action):
                    r = cairn_server.hook_request(action, query, t=t)
                    self.assertIn(r.status, (403, 404), r)

    def test_hooks_answer_with_the_flag(self):
        if cairn_server.external() and not cairn_server.hooks_available(self.t):
            self.skipTest("the server at --endpoint has no test hooks")
        counts = cairn_server.sweep(self.t)
        self.assertEqual(sorted(counts), ["aborted_uploads", "expired_objects",
                                          "transitioned_objects"])
        for v in counts.values():
            self.assertIsInstance(v, int)


# ============================================================================================


@unittest.skipIf(cairn_server.external(), "moves the clock of a cairn it starts itself")
class ClockTests(LifecycleMixin, unittest.TestCase):
    """Each test gets a fresh cairn (its lifecycle clock starts at the real time) with the test
    hooks, and moves the clock forward in days."""

    maxDiff = 4000

    def setUp(self):
        # The background sweeper is kept out of the way (a day between its runs), so that every
        # count comes from the test's own sweep.
        self.server = cairn_server.CairnServer(
            name="lifecycle-clock",
            extra_args=[cairn_server.TEST_HOOKS, "--lifecycle-interval-seconds", "86400"])
        self.addCleanup(self.server.cleanup)
        self.server.start()
        self.t = self.server.target()
        self.s3 = cairn_server.client(self.t)
        self.bucket = "lc-" + os.urandom(4).hex()
        self.s3.create_bucket(Bucket=self.bucket)

    def advance(self, days):
        cairn_server.advance_clock(round(days * DAY), t=self.t)

    def sweep(self):
        return cairn_server.sweep(t=self.t)

    def usage(self):
        return cairn_server.data_usage(self.server)

    def wait_usage(self, predicate):
        return cairn_server.wait_usage(self.server, predicate)

    def assertSwept(self, counts, aborted=0, expired=0, transitioned=0):
        self.assertEqual(counts, {"aborted_uploads": aborted, "expired_objects": expired,
                                  "transitioned_objects": transitioned})

    def assertGone(self, key):
        with self.assertRaises(ClientError) as cm:
            self.s3.head_object(Bucket=self.bucket, Key=key)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 404)

    def assertNoSuchUpload(self, key, upload_id):
        with self.assertRaises(ClientError) as cm:
            self.s3.list_parts(Bucket=self.bucket, Key=key, UploadId=upload_id)
        self.assertEqual(cm.exception.response["Error"]["Code"], "NoSuchUpload")

    def put(self, key, size=1000):
        data = os.urandom(size)
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=data)
        return data

    def upload_with_a_part(self, key, size=MiB):
        uid = self.create_upload(self.bucket, key)[0]
        self.s3.upload_part(Bucket=self.bucket, Key=key, UploadId=uid, PartNumber=1,
                            Body=os.urandom(size))
        return uid

    # -- incomplete uploads --

    def test_default_abort_after_7_days(self):
        base = self.wait_usage(lambda u: u.tmp_files == 0)
        uid = self.upload_with_a_part("big/backup.tar")
        with_part = self.wait_usage(lambda u: u.files == base.files + 1)
        self.assertEqual(with_part.files, base.files + 1, "the part is not one blob file?")
        self.assertSwept(self.sweep())
        self.advance(6)
        self.assertSwept(self.sweep())
        self.assertEqual(self.upload_ids(self.bucket), [uid])
        parts = self.s3.list_parts(Bucket=self.bucket, Key="big/backup.tar", UploadId=uid)
        self.assertEqual([p["PartNumber"] for p in parts["Parts"]], [1])
        self.advance(1)
        self.assertSwept(self.sweep(), aborted=1)
        self.assertEqual(self.upload_ids(self.bucket), [])
        self.assertNoSuchUpload("big/backup.tar", uid)
        after = self.wait_usage(lambda u: u.files == base.files)
        self.assertEqual(after.files, base.files, "the aborted upload's blob file is still there")
        self.assertEqual(after.bytes, base.bytes)
        # Nothing left in the bucket: it can be deleted.
        self.assertSwept(self.sweep())
        self.s3.delete_bucket(Bucket=self.bucket)

    def test_the_sweeper_keeps_the_announced_abort_date(self):
        # An upload created after the clock moved, and one under a rule: each is aborted when
        # the lifecycle clock passes the x-amz-abort-date it was given, not before. (Whether
        # initiation counts on the moved clock or the real one is the server's choice; the
        # announced date and the sweeper must agree either way.)
        self.put_rules(self.bucket, rule("tmp-2d", "tmp/", AbortIncompleteMultipartUpload={
            "DaysAfterInitiation": 2}))
        self.advance(1)
        offset = DAY
        late, late_date, _, _ = self.create_upload(self.bucket, "late")
        tmp, tmp_date, _, _ = self.create_upload(self.bucket, "tmp/late")
        for uid, key, date in sorted([(late, "late", late_date), (tmp, "tmp/late", tmp_date)],
                                     key=lambda x: x[2]):
            with self.subTest(key=key):
                clock = time.time() + offset  # the lifecycle clock now (same machine)
                to_before = int(date.timestamp() - clock) - 3600
                self.assertGreater(to_before, 0, "abort date %s already passed" % date)
                self.advance(to_before / DAY)
                offset += to_before
                self.sweep()
                self.assertIn(uid, self.upload_ids(self.bucket), "aborted an hour early")
                self.advance(2 * 3600 / DAY)
                offset += 2 * 3600
                self.sweep()
                self.assertNotIn(uid, self.upload_ids(self.bucket), "not aborted an hour late")
                self.assertNoSuchUpload(key, uid)

    def test_rule_days_replace_the_default_for_matching_keys_only(self):
        self.put_rules(self.bucket,
                       rule("tmp-2d", "tmp/", AbortIncompleteMultipartUpload={
                           "DaysAfterInitiation": 2}),
                       rule("long-10d", "long/", AbortIncompleteMultipartUpload={
                           "DaysAfterInitiation": 10}))
        tmp, _, tmp_rule, _ = self.create_upload(self.bucket, "tmp/a")
        keep, _, keep_rule, _ = self.create_upload(self.bucket, "keep/b")
        long, _, long_rule, _ = self.create_upload(self.bucket, "long/c")
        self.assertEqual((tmp_rule, keep_rule, long_rule), ("tmp-2d", DEFAULT_RULE, "long-10d"))
        self.advance(1)
        self.assertSwept(self.sweep())
        self.advance(1)  # day 2: the tmp/ rule
        self.assertSwept(self.sweep(), aborted=1)
        self.assertNoSuchUpload("tmp/a", tmp)
        self.assertEqual(self.upload_ids(self.bucket), sorted([keep, long]))
        self.advance(5)  # day 7: the default, but not for long/ (its rule replaces it)
        self.assertSwept(self.sweep(), aborted=1)
        self.assertNoSuchUpload("keep/b", keep)
        self.assertEqual(self.upload_ids(self.bucket), [long])
        self.advance(3)  # day 10
        self.assertSwept(self.sweep(), aborted=1)
        self.assertEqual(self.upload_ids(self.bucket), [])

    # -- who may call the hooks --

    def test_hooks_answer_only_the_admin_key(self):
        # Moving the clock expires objects: an anonymous caller, or one signing with a key the
        # server does not know, is refused, and the clock stays where it was.
        self.put_rules(self.bucket, rule("logs-1d", "logs/", Expiration={"Days": 1}))
        self.put("logs/a")
        stranger = cairn_server.Target(self.t.endpoint, "AKIASTRANGER0000000", "s" * 40)
        for action, query in (("clock", [("advance-seconds", str(30 * DAY))]), ("sweep", [])):
            with self.subTest(hook=action, caller="anonymous"):
                r = cairn_server.hook_request(action, query, t=self.t, sign=False)
                self.assertEqual(r.status, 403, r)
                self.assertEqual(r.error_code(), "AccessDenied", r)
            with self.subTest(hook=action, caller="unknown key"):
                r = cairn_server.hook_request(action, query, t=stranger)
                self.assertEqual(r.status, 403, r)
                self.assertEqual(r.error_code(), "InvalidAccessKeyId", r)
        self.assertSwept(self.sweep())
        self.s3.head_object(Bucket=self.bucket, Key="logs/a")
        self.advance(3)  # signed by the admin key
        self.assertSwept(self.sweep(), expired=1)
        self.assertGone("logs/a")

    # -- objects --

    def test_expiration_days(self):
        self.put_rules(self.bucket, rule("logs-3d", "logs/", Expiration={"Days": 3}))
        # Larger than the objects cairn keeps inline in its metadata store, so that each has a
        # blob file whose removal the test can see.
        self.put("logs/a", 150_000)
        self.put("logs/b", 160_000)
        keep = self.put("data/c", 170_000)
        base = self.wait_usage(lambda u: u.tmp_files == 0)
        self.advance(2)
        self.assertSwept(self.sweep())
        self.s3.head_object(Bucket=self.bucket, Key="logs/a")
        # Day 4: past the 3 days even if the server rounds up to the next midnight as S3 does.
        self.advance(2)
        self.assertSwept(self.sweep(), expired=2)
        self.assertGone("logs/a")
        self.assertGone("logs/b")
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="data/c")["Body"].read(), keep)
        keys = [o["Key"] for o in self.s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])]
        self.assertEqual(keys, ["data/c"])
        after = self.wait_usage(lambda u: u.files == base.files - 2)
        self.assertEqual((after.files, after.bytes), (base.files - 2, base.bytes - 310_000),
                         "expired objects' blob files are still there")
        self.assertSwept(self.sweep())

    def test_expiration_date(self):
        self.put_rules(self.bucket, rule("old-by-date", "old/",
                                         Expiration={"Date": midnight_in(3)}))
        self.put("old/x")
        self.put("new/y")
        self.assertSwept(self.sweep())
        self.advance(2)
        self.assertSwept(self.sweep())
        self.advance(2)  # past the date
        self.assertSwept(self.sweep(), expired=1)
        self.assertGone("old/x")
        self.s3.head_object(Bucket=self.bucket, Key="new/y")

    def test_transition_days_to_standard_ia(self):
        self.put_rules(self.bucket, rule("cold-30d", "cold/", Transitions=[
            {"Days": 30, "StorageClass": "STANDARD_IA"}]))
        cold = self.put("cold/x", 12345)
        self.put("hot/y")
        etag = self.s3.head_object(Bucket=self.bucket, Key="cold/x")["ETag"]
        self.advance(20)
        self.assertSwept(self.sweep())
        self.assertIn(self.s3.head_object(Bucket=self.bucket, Key="cold/x").get("StorageClass"),
                      (None, "STANDARD"))
        self.advance(12)
        self.assertSwept(self.sweep(), transitioned=1)
        h = self.s3.head_object(Bucket=self.bucket, Key="cold/x")
        self.assertEqual(h.get("StorageClass"), "STANDARD_IA")
        self.assertEqual(h["ResponseMetadata"]["HTTPHeaders"].get("x-amz-storage-class"),
                         "STANDARD_IA")
        self.assertEqual(h["ETag"], etag)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="cold/x")["Body"].read(), cold)
        self.assertIn(self.s3.head_object(Bucket=self.bucket, Key="hot/y").get("StorageClass"),
                      (None, "STANDARD"))
        listed = {o["Key"]: o.get("StorageClass")
                  for o in self.s3.list_objects_v2(Bucket=self.bucket)["Contents"]}
        self.assertEqual(listed["cold/x"], "STANDARD_IA")
        # Already transitioned: a second sweep does nothing.
        self.assertSwept(self.sweep())

    def test_transition_date_to_standard_ia(self):
        self.put_rules(self.bucket, rule("arch-by-date", "arch/", Transitions=[
            {"Date": midnight_in(2), "StorageClass": "STANDARD_IA"}]))
        self.put("arch/x")
        self.put("live/y")
        self.assertSwept(self.sweep())
        self.advance(3)
        self.assertSwept(self.sweep(), transitioned=1)
        self.assertEqual(self.s3.head_object(Bucket=self.bucket, Key="arch/x").get("StorageClass"),
                         "STANDARD_IA")
        self.assertIn(self.s3.head_object(Bucket=self.bucket, Key="live/y").get("StorageClass"),
                      (None, "STANDARD"))

    def test_disabled_rules_do_nothing(self):
        self.put_rules(self.bucket,
                       rule("no-abort", "", status="Disabled",
                            AbortIncompleteMultipartUpload={"DaysAfterInitiation": 1}),
                       rule("no-expire", "", status="Disabled", Expiration={"Days": 1}),
                       rule("no-transition", "", status="Disabled",
                            Transitions=[{"Days": 30, "StorageClass": "STANDARD_IA"}]))
        uid, _, rule_id, _ = self.create_upload(self.bucket, "pending")
        self.assertEqual(rule_id, DEFAULT_RULE)
        data = self.put("obj")
        self.advance(2)
        self.assertSwept(self.sweep())
        self.assertEqual(self.upload_ids(self.bucket), [uid])
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="obj")["Body"].read(), data)
        # Day 31: only the default abort rule acted.
        self.advance(29)
        self.assertSwept(self.sweep(), aborted=1)
        h = self.s3.head_object(Bucket=self.bucket, Key="obj")
        self.assertIn(h.get("StorageClass"), (None, "STANDARD"))

    def test_deleted_configuration_stops_acting(self):
        self.put_rules(self.bucket, rule("exp", "", Expiration={"Days": 1}))
        self.put("survivor")
        self.s3.delete_bucket_lifecycle(Bucket=self.bucket)
        self.advance(3)
        self.assertSwept(self.sweep())
        self.s3.head_object(Bucket=self.bucket, Key="survivor")


if __name__ == "__main__":
    cairn_server.main()
