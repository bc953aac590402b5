/** Where `buildFlexHost` writes the host page's script. */
export declare const hostScriptPath: string;

/** Builds `dist/flex-host.js` (and its source map). */
export declare function buildFlexHost(options?: {
  minify?: boolean;
}): Promise<{ path: string; bytes: number }>;
