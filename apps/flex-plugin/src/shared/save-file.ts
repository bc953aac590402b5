/**
 * Hands a file to the browser's download: an object URL on a temporary link, clicked, and revoked
 * a little later (a browser may still be reading it right after the click).
 */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A CSV file's text, saved under `filename`. */
export function saveCsv(text: string, filename: string): void {
  saveFile(new Blob([text], { type: 'text/csv;charset=utf-8' }), filename);
}
