// Starts `ecrlint server` for JSON and YAML files; the server decides which
// of them are replication configurations or templates holding one.

import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";
import { serverCommand } from "./binary";

let client: LanguageClient | undefined;

function initializationOptions(config: vscode.WorkspaceConfiguration): object {
  const options: {
    rules: string[];
    select?: string[];
    extendSelect: string[];
    ignore: string[];
    sourceRegion?: string;
    sourceRegistryId?: string;
    registryPolicyScope?: string;
    noWorkspace?: boolean;
  } = {
    rules: config.get<string[]>("rules", []),
    extendSelect: config.get<string[]>("extendSelect", []),
    ignore: config.get<string[]>("ignore", []),
  };
  const select = config.get<string[] | null>("select", null);
  if (select) {
    options.select = select;
  }
  const region = config.get<string | null>("sourceRegion", null);
  const account = config.get<string | null>("sourceRegistryId", null);
  if (region) {
    options.sourceRegion = region;
  }
  if (account) {
    options.sourceRegistryId = account;
  }
  const scope = config.get<string | null>("registryPolicyScope", null);
  if (scope) {
    options.registryPolicyScope = scope;
  }
  if (config.get<boolean>("noWorkspace", false)) {
    options.noWorkspace = true;
  }
  return options;
}

async function start(extensionPath: string): Promise<void> {
  const config = vscode.workspace.getConfiguration("ecrlint");
  const command = serverCommand(config.get<string>("path", ""), extensionPath);
  const serverOptions: ServerOptions = { command, args: ["server"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "json" },
      { scheme: "file", language: "jsonc" },
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "terraform" },
      { scheme: "untitled", language: "json" },
      { scheme: "untitled", language: "yaml" },
      { scheme: "untitled", language: "terraform" },
    ],
    initializationOptions: initializationOptions(config),
    synchronize: {
      // Re-lint when a .ecrlint.toml changes on disk.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/.ecrlint.toml"),
    },
  };
  client = new LanguageClient("ecrlint", "ecrlint", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    void vscode.window.showErrorMessage(
      `ecrlint: could not start \`${command} server\` (set "ecrlint.path"): ${e}`,
    );
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("ecrlint")) {
        await client?.stop();
        await start(context.extensionPath);
      }
    }),
  );
  await start(context.extensionPath);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
