/**
 * Error messages of the engine and the AAF reader name the files they read, and those are server
 * paths: the upload's temporary folder (`/tmp/aaf-upload-…/`), the inbox, the archive. A client
 * only needs the name it uploaded. `hideServerPaths` keeps the last segment of every absolute path
 * in a text and drops stack-trace lines, so a problem document never shows the server's layout.
 *
 * @example
 * hideServerPaths('corrupt archive /tmp/aaf-upload-x1/delivery.tgz: bad gzip') // 'corrupt archive delivery.tgz: bad gzip'
 */
export function hideServerPaths(text: string): string {
  return (
    text
      // "    at fn (/srv/app/x.js:1:2)": a stack frame says nothing a client can act on.
      .replace(/\n\s*at .*/g, '')
      // file:///a/b, /a/b/c and C:\a\b: every absolute path of two segments or more.
      .replace(ABSOLUTE_PATH, (_match, lead: string, path: string) => lead + lastSegment(path))
  );
}

/** A path begins the text or follows a blank, a quote, a bracket, `=`, `,` or `:`. */
const ABSOLUTE_PATH =
  /(^|[\s'"`(<[{=,:])((?:file:\/\/)?\/[^\s'"`()<>[\]{},;:/]*(?:\/[^\s'"`()<>[\]{},;:/]*)+|[A-Za-z]:\\[^\s'"`()<>[\]{},;:]+)/g;

function lastSegment(path: string): string {
  const segments = path.split(/[/\\]/).filter(Boolean);
  return segments[segments.length - 1] ?? '';
}
