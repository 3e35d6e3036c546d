// `npm ci`, unless node_modules was installed by this script from the very same package-lock.json. Lets several
// Maven builds share the work tree without each wiping node_modules under the others; CI's fresh clone always installs.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stamp = join(root, "node_modules", ".switchboard-lock-sha256");
const hash = createHash("sha256").update(readFileSync(join(root, "package-lock.json"))).digest("hex");

if (existsSync(stamp) && readFileSync(stamp, "utf8").trim() === hash) {
  console.log("webapp-ui: node_modules matches package-lock.json, npm ci skipped");
  process.exit(0);
}
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const r = spawnSync(npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: root, stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);
writeFileSync(stamp, hash + "\n");
