#!/usr/bin/env python3
"""Regenerates docs/hostile-inputs.md: every case under fixtures/hostile/** (a `#` header above a
bad or hostile pipeline; format in docs/hostile-inputs.md), grouped by the issue-16 finding it
covers, with the command, the exit code and kfrun's message. The message is the line of kfrun's
output that holds the case's first `expect` text (kfrun is run as tests/integration/hostile runs
it); with --no-run, or when kfrun is not built, the `expect` text itself.
Usage: scripts/hostile-table.py [--no-run] [path/to/kfrun]   (a developer tool; needs python3)."""
import pathlib
import subprocess
import sys
import tempfile

repo = pathlib.Path(__file__).resolve().parent.parent
args = [a for a in sys.argv[1:] if a != "--no-run"]
kfrun = args[0] if args else str(repo / "build" / "src" / "cli" / "kfrun")
run_kfrun = "--no-run" not in sys.argv and pathlib.Path(kfrun).exists()
root = repo / "fixtures" / "hostile"
image_map = repo / "fixtures" / "image-map.txt"

FINDINGS = {
    "1": "hostPath volumes", "2": "subPath check-then-use race", "3": "invalid UTF-8 in outputs",
    "4": "secrets of init containers and sidecars", "5": "report artifacts linked to store blobs",
    "6": "kill -9 leaves everything behind", "7": "limits", "8": "project file widens security",
    "9": "report folder written through symlinks", "10": "absolute symlinks in exported artifacts",
    "11": "securityContext", "12": "activeDeadlineSeconds", "13": "executor race",
    "14": "validation that Argo does", "15": "smaller findings",
    "argo": "Argo's own validation rules",
    "kfp-v2": "KFP v2 IR: the API server's and the backend compiler's rules",
}


def read_case(path):
    case = {"command": "validate", "args": [], "expect": [], "file": None}
    try:
        lines = path.read_bytes().split(b"\n")
    except OSError:
        return None
    for raw in lines:
        if not raw.startswith(b"#"):
            break
        body = raw[1:].decode("utf-8", "replace").strip()
        key, sep, value = body.partition(":")
        if not sep:
            continue
        value = value.strip()
        if key == "args":
            value = value.replace("{dir}", str(path.parent))
            case["args"] = value.split()
        elif key == "expect":
            case["expect"].append(value)
        elif key in ("hostile", "finding", "command", "exit", "file"):
            case[key] = value
    if "hostile" not in case:
        return None
    case["id"] = path.relative_to(root).as_posix()
    case["subject"] = path.parent / case["file"] if case["file"] else path
    return case


def run(case, work):
    subject = str(case["subject"])
    base = ["--no-color", "--data-dir", str(work / "data"), "--cache-dir", str(work / "cache"),
            "--image-map-file", str(image_map)]
    command = case["command"]
    if command == "validate":
        argv = ["validate", subject, "--no-color"] + case["args"]
    elif command == "run":
        argv = ["run", subject] + base + ["--report-dir", str(work / "report")] + case["args"]
    elif command == "dry-run":
        argv = ["run", subject] + base + ["--dry-run"] + case["args"]
    else:
        argv = [command, subject] + base + case["args"]
    try:
        proc = subprocess.run([kfrun] + argv, capture_output=True, timeout=300)
    except subprocess.TimeoutExpired:
        return None, "timed out"
    return proc.returncode, (proc.stdout + proc.stderr).decode("utf-8", "replace")


def message_of(case, output):
    expected = case["expect"][0] if case["expect"] else ""
    if output is not None:
        for line in output.splitlines():
            if expected and expected in line:
                return line.replace(str(root) + "/", "").strip()
    return expected


def shown_command(case):
    name = case["subject"].name
    words = {"validate": ["validate", name], "run": ["run", name],
             "dry-run": ["run", name, "--dry-run"]}.get(case["command"], [case["command"], name])
    return "kfrun " + " ".join(words + case["args"]).replace(str(root) + "/", "")


cases = []
for path in sorted(p for p in root.rglob("*") if p.is_file()):
    case = read_case(path)
    if case is not None:
        cases.append(case)

mismatches = 0
work = pathlib.Path(tempfile.mkdtemp(prefix="kfrun-hostile-"))
for i, case in enumerate(cases):
    output = None
    if run_kfrun:
        code, output = run(case, work / str(i))
        if str(code) != case.get("exit") or not all(e in output for e in case["expect"]):
            mismatches += 1
            print("mismatch: %s: exit %s (header says %s)" % (case["id"], code, case.get("exit")),
                  file=sys.stderr)
    case["message"] = message_of(case, output)


def finding_key(finding):
    return (0, int(finding)) if finding.isdigit() else (1, finding)


def cell(text):
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 300 else text[:297] + "…"


groups = {}
for case in cases:
    groups.setdefault(case.get("finding", "?"), []).append(case)

with open(repo / "docs" / "hostile-inputs.md", "w") as out:
    out.write("# Bad and hostile inputs\n\n")
    out.write("What kfrun does with each bad or hostile input in `fixtures/hostile/` — pipelines, "
              "packages, components and command lines that break a rule of Argo's or try to cost "
              "the host, a secret or a run (issue 16). Every row is a test: "
              "`tests/integration/hostile` runs kfrun on the case and checks the exit code and "
              "the message (`ctest -L hostile`). Generated by `scripts/hostile-table.py`.\n\n")
    out.write("Exit codes: 0 ok, 1 a step failed, 2 bad input (nothing was started), "
              "3 environment (Docker, store).\n\n")
    out.write("%d cases.\n\n" % len(cases))
    out.write("## Adding a case\n\n"
              "One file under `fixtures/hostile/<topic>/`: the input, preceded by a header of "
              "`#` lines (a binary input, such as a package, sits beside a header-only `.case` "
              "file that names it with `file:`):\n\n"
              "```\n"
              "# hostile: what the case is (one line)\n"
              "# finding: 7                 (issue-16 finding number, or argo)\n"
              "# command: validate          (validate | dry-run | run | run-component | test)\n"
              "# args: -p n=1 --limit x=2   (optional; split on spaces; {dir} is the case's folder)\n"
              "# file: package.tar.gz       (optional: the input is this file beside the case)\n"
              "# exit: 2\n"
              "# expect: a substring of kfrun's stdout+stderr   (one or more lines)\n"
              "```\n\n"
              "`run` and `dry-run` use `fixtures/image-map.txt` and a private data directory.\n\n")
    for finding in sorted(groups, key=finding_key):
        title = FINDINGS.get(finding, "")
        label = ("Finding %s: %s" % (finding, title)) if finding.isdigit() else (title or finding)
        out.write("## %s\n\n" % label)
        out.write("| case | input | command | exit | message |\n|---|---|---|---|---|\n")
        for case in groups[finding]:
            out.write("| `%s` | %s | `%s` | %s | %s |\n" % (
                case["id"], cell(case["hostile"]), cell(shown_command(case)),
                case.get("exit", "?"), cell(case["message"])))
        out.write("\n")
print("wrote", repo / "docs" / "hostile-inputs.md", "(%d cases)" % len(cases))
if mismatches:
    print("%d cases did not end as their header says" % mismatches, file=sys.stderr)
    sys.exit(1)
