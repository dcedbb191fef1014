// "Resume" for an unfinished multipart upload: it asks for the file again (a page cannot keep
// access to a file across reloads) and hands it on; whether it is the right file is checked there.
import { useRef } from "preact/hooks";

export function ResumeButton({ name, onFile }) {
  const input = useRef(null);
  return (
    <>
      <button type="button" class="button button-small button-primary" onClick={() => input.current.click()}>
        Resume
      </button>
      <input
        ref={input}
        type="file"
        hidden
        aria-label={`Choose ${name} to resume its upload`}
        data-testid="resume-file"
        onChange={(e) => {
          const file = e.currentTarget.files[0];
          e.currentTarget.value = "";
          if (file) onFile(file);
        }}
      />
    </>
  );
}
