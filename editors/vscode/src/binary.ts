// Which ecrlint binary the extension starts. Kept apart from extension.ts
// (no `vscode` import) so that the packaging test can run it under plain Node.

import * as fs from "fs";
import * as path from "path";

/** The binary a platform-specific .vsix carries in its `bin/` folder, if this one does. */
export function bundledBinary(extensionPath: string, platform: string = process.platform): string | undefined {
  const candidate = path.join(extensionPath, "bin", platform === "win32" ? "ecrlint.exe" : "ecrlint");
  return fs.existsSync(candidate) ? candidate : undefined;
}

/**
 * The command to run `server` with: the `ecrlint.path` setting when the user
 * set one, else the binary the extension carries, else `ecrlint` on PATH
 * (an extension built without a binary, as from a clone).
 */
export function serverCommand(configuredPath: string | undefined, extensionPath: string, platform?: string): string {
  const configured = configuredPath?.trim();
  if (configured) {
    return configured;
  }
  return bundledBinary(extensionPath, platform) ?? "ecrlint";
}
