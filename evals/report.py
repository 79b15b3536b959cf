"""``eval report``: one self-contained HTML page a person would rather look at than read, and JSON for CI.

The page has the scores (overall, per vertical with cross-vertical errands apart, per language), a bar chart of
pass rates drawn as inline SVG (no script, no network), the failure kinds, and every failed trial opened up: its
reasons, the state diff against the oracle, and the transcript (requests, answers, tool calls with their results,
confirmations and the person's answers). The JSON (``summary.json``) is the scores and the failed task ids.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from evals.metrics import summarise

RESULTS = "results.json"
SUMMARY = "summary.json"
REPORT = "report.html"

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d2430}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}table{border-collapse:collapse;margin:.5rem 0}
td,th{border-bottom:1px solid #dde;padding:.25rem .7rem;text-align:right}th:first-child,td:first-child{text-align:left}
details{border:1px solid #dde;border-radius:6px;margin:.5rem 0;padding:.4rem .8rem}summary{cursor:pointer}
pre{background:#f6f7f9;padding:.6rem;overflow-x:auto;white-space:pre-wrap;font-size:12px}
.fail{color:#b3261e}.ok{color:#1b7f3b}.ev{margin:.15rem 0;font-size:13px}.tool{color:#445;font-family:monospace}
.user{font-weight:600}.q{color:#7a4b00}.muted{color:#667}
.add{color:#1b7f3b}.del{color:#b3261e}
"""


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def chart(groups: dict[str, dict[str, Any]]) -> str:
    """Pass rate per group as horizontal bars, inline SVG."""
    rows = list(groups.items())
    width, bar, gap, label = 520, 22, 8, 70
    height = len(rows) * (bar + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             'aria-label="pass rate per vertical">']  # fmt: skip
    for i, (name, score) in enumerate(rows):
        y = gap + i * (bar + gap)
        rate = score["pass_rate"] or 0.0
        span = (width - label - 60) * rate
        colour = "#1b7f3b" if rate >= 0.8 else "#c77700" if rate >= 0.5 else "#b3261e"
        parts += [
            f'<text x="0" y="{y + bar * 0.7}" font-size="13">{escape(name)}</text>',
            f'<rect x="{label}" y="{y}" width="{width - label - 60}" height="{bar}" fill="#eef0f4"/>',
            f'<rect x="{label}" y="{y}" width="{span:.1f}" height="{bar}" fill="{colour}"/>',
            f'<text x="{width - 52}" y="{y + bar * 0.7}" font-size="13">{_pct(score["pass_rate"])} '
            f"({score['passed']}/{score['trials']})</text>",
        ]
    parts.append("</svg>")
    return "".join(parts)


def _table(title: str, scores: dict[str, dict[str, Any]], k: int) -> str:
    head = "".join(f"<th>pass^{j}</th>" for j in range(1, k + 1))
    rows = []
    for name, s in scores.items():
        hats = "".join(f"<td>{_pct(s['pass_hat_k'].get(str(j)))}</td>" for j in range(1, k + 1))
        calls = "–" if s["tool_calls_per_task"] is None else f"{s['tool_calls_per_task']:.1f}"
        tokens = "–" if s["tokens_per_task"] is None else f"{s['tokens_per_task']:,.0f}"
        rows.append(f"<tr><td>{escape(name)}</td><td>{s['tasks']}</td><td>{s['trials']}</td>"
                    f"<td>{_pct(s['pass_rate'])}</td>{hats}<td>{calls}</td><td>{tokens}</td></tr>")  # fmt: skip
    return (f"<h2>{escape(title)}</h2><table><tr><th></th><th>tasks</th><th>trials</th><th>pass rate</th>{head}"
            f"<th>tool calls/task</th><th>tokens/task</th></tr>{''.join(rows)}</table>")  # fmt: skip


def _short(value: Any, width: int = 600) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def transcript(events: list[dict[str, Any]]) -> str:
    lines = []
    for e in events:
        kind = e.get("type")
        if kind == "user":
            lines.append(f'<div class="ev user">person: {escape(e["text"])}</div>')
        elif kind == "assistant" and e.get("text"):
            lines.append(f'<div class="ev">agent: {escape(e["text"])}</div>')
        elif kind == "tool":
            by = " (by the agent after the yes)" if e.get("by") == "agent" else ""
            result = e.get("text") if "text" in e else e.get("data")
            mark = "error" if e.get("is_error") else "refused" if e.get("refused") else "ok"
            lines.append(f'<div class="ev tool">→ {escape(e["name"])}({escape(_short(e.get("arguments"), 300))})'
                         f'{by}<br><span class="muted">← {mark}: {escape(_short(result))}</span></div>')  # fmt: skip
        elif kind == "question":
            said = "yes" if e.get("approved") else "no" if e.get("consent") else _short(e.get("answer"))
            lines.append(f'<div class="ev q">? {escape(e.get("message", ""))} — {escape(str(said))}</div>')
        elif kind == "error":
            lines.append(f'<div class="ev fail">stopped: {escape(e.get("text", ""))}</div>')
    return "".join(lines)


def _diff(text: str) -> str:
    out = []
    for line in text.splitlines():
        cls = "add" if line.startswith("+") else "del" if line.startswith("-") else ""
        out.append(f'<span class="{cls}">{escape(line)}</span>' if cls else escape(line))
    return "<pre>" + "\n".join(out) + "</pre>"


def failed_trial(t: dict[str, Any]) -> str:
    reasons = "".join(f"<li>{escape(r)}</li>" for r in t["reasons"])
    body = [f"<p>{escape(t['request'])}</p><ul class='fail'>{reasons}</ul>"]
    if t.get("diff"):
        body.append("<p><b>State diff</b> (− the oracle's, + the agent's)</p>" + _diff(t["diff"]))
    body.append("<p><b>Transcript</b></p>" + transcript(t.get("events", [])))
    tags = escape(", ".join(t.get("tags", [])))
    head = f"<b>{escape(t['task'])}</b> #{t['trial']} · {escape(t['group'])} · {escape(t['language'])}"
    return f"<details><summary>{head}{' · ' + tags if tags else ''}</summary>{''.join(body)}</details>"


def render(run: dict[str, Any], trials: list[dict[str, Any]], summary: dict[str, Any]) -> str:
    k = int(run.get("k", 1))
    overall = summary["overall"]
    failures = "".join(f"<tr><td>{escape(kind)}</td><td>{n}</td></tr>" for kind, n in summary["failure_kinds"].items())
    failed = [t for t in trials if not t["passed"]]
    title = f"{run.get('agent', '')} {run.get('model', '')}".strip()
    return "".join([
        f"<!doctype html><html lang='en'><meta charset='utf-8'><title>Eval: {escape(title)}</title>",
        f"<style>{CSS}</style><h1>Lifestyle errands: {escape(title)}</h1>",
        f"<p>{overall['tasks']} tasks × {k} trial(s) · pass rate <b>{_pct(overall['pass_rate'])}</b> · "
        f"pass^{k} <b>{_pct(overall['pass_hat_k'].get(str(k)))}</b> · {escape(run.get('started', ''))}</p>",
        "<h2>Pass rate per vertical</h2>", chart(summary["groups"]),
        _table("Per vertical (cross: errands across verticals)", summary["groups"], k),
        _table("Per language", summary["languages"], k),
        _table("Overall", {"all": overall}, k),
        "<h2>Why failures failed</h2>",
        f"<table><tr><th>check</th><th>failed trials</th></tr>{failures}</table>" if failures else "<p>None.</p>",
        f"<h2>Failed trials ({len(failed)})</h2>", "".join(failed_trial(t) for t in failed) or "<p>None.</p>",
        "</html>",
    ])  # fmt: skip


def write_results(out: Path, run: dict[str, Any], trials: list[dict[str, Any]]) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / RESULTS
    path.write_text(json.dumps({"run": run, "trials": trials}, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_report(directory: Path, html_path: Path | None = None, json_path: Path | None = None) -> tuple[Path, Path]:
    """Read ``results.json`` in ``directory``; write the HTML page and the CI summary beside it (or where asked)."""
    data = json.loads((directory / RESULTS).read_text(encoding="utf-8"))
    run, trials = data["run"], data["trials"]
    summary = {"run": run, **summarise(trials, int(run.get("k", 1)))}
    html_path = html_path or directory / REPORT
    json_path = json_path or directory / SUMMARY
    html_path.write_text(render(run, trials, summary), encoding="utf-8")
    json_path.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return html_path, json_path
