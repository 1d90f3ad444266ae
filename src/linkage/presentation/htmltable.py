"""Tables that stay usable in Jupyter and in the HTML export: escaped, sortable, filterable, offline."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..pipeline.settings import TABLE_ROWS

__all__ = ["DataTable", "Findings", "Note", "escape"]

_CSS = """<style>
div.lk-dt{margin:.4em 0 1.2em 0;font:13px/1.4 -apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif}
div.lk-dt .lk-dt-bar{display:flex;gap:.8em;align-items:center;margin-bottom:.3em}
div.lk-dt .lk-dt-bar input{padding:3px 6px;border:1px solid #bbb;border-radius:3px;min-width:16em;font:inherit}
div.lk-dt .lk-dt-count,div.lk-dt .lk-dt-cap{color:#5f5f5f}
div.lk-dt .lk-dt-wrap{overflow-x:auto;border:1px solid #e3e3e3}
div.lk-dt .lk-dt-wrap table{border-collapse:collapse;width:100%;table-layout:auto;margin:0}
div.lk-dt .lk-dt-wrap th{position:sticky;top:0;background:#f4f4f4;cursor:pointer;text-align:left;padding:4px 8px;
 border-bottom:1px solid #ccc;white-space:nowrap;user-select:none;vertical-align:bottom}
div.lk-dt .lk-dt-wrap th[aria-sort=ascending]::after{content:' \\25B2'}
div.lk-dt .lk-dt-wrap th[aria-sort=descending]::after{content:' \\25BC'}
div.lk-dt .lk-dt-wrap td{padding:3px 8px;border-bottom:1px solid #eee;vertical-align:top;text-align:left;
 max-width:40em;white-space:normal}
div.lk-dt .lk-dt-wrap td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
div.lk-dt .lk-dt-wrap td.long{min-width:24em}
div.lk-dt .lk-dt-wrap td:first-child{min-width:10em}
div.lk-dt .lk-dt-wrap td.short{white-space:nowrap}
div.lk-dt .lk-dt-wrap tbody tr:nth-child(even){background:#fafafa}
div.lk-dt .lk-dt-wrap tbody tr:nth-child(odd){background:#fff}
div.lk-dt .lk-dt-more{color:#5f5f5f;font-size:12px;margin-top:.3em}
@media print{
 div.lk-dt .lk-dt-bar input{display:none}
 div.lk-dt .lk-dt-wrap{overflow:visible;border:0}
 div.lk-dt .lk-dt-wrap th{position:static;cursor:auto}
 div.lk-dt .lk-dt-wrap td,div.lk-dt .lk-dt-wrap td.long{max-width:none;min-width:0;white-space:normal}
 div.lk-dt table{font-size:8pt;page-break-inside:auto}
 div.lk-dt tr{page-break-inside:avoid}
 .jp-OutputArea-output,.jp-Cell-outputWrapper{overflow:visible!important;max-height:none!important}
}
</style>"""

_JS = """<script>
(function (root) {
  if (!root || root.getAttribute('data-ready')) { return; }
  root.setAttribute('data-ready', '1');
  var table = root.querySelector('table'), body = table.tBodies[0];
  var input = root.querySelector('input'), count = root.querySelector('.lk-dt-count');
  var rows = Array.prototype.slice.call(body.rows), total = rows.length;
  var all = root.getAttribute('data-total') || String(total);
  function update() {
    var q = input.value.toLowerCase(), n = 0;
    rows.forEach(function (r) {
      var show = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
      r.style.display = show ? '' : 'none';
      if (show) { n += 1; }
    });
    count.textContent = n + ' of ' + total + ' rows' + (all !== String(total) ? ' shown (' + all + ' in all)' : '');
  }
  input.addEventListener('input', update);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
    th.addEventListener('click', function () {
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var num = th.getAttribute('data-num') === '1';
      rows.sort(function (a, b) {
        var x = a.cells[i].getAttribute('data-v'), y = b.cells[i].getAttribute('data-v');
        var c = num ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})(document.currentScript && document.currentScript.parentElement);
</script>"""


def escape(value: Any) -> str:
    """HTML-escape any value (quotes too); missing values become ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def _cell(value: Any) -> tuple[str, str, bool]:
    """(shown text, sort key, is numeric) of one cell."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "", "", False
    if isinstance(value, bool):
        return ("yes" if value else "no"), str(int(value)), False
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = f"{value:,.0f}" if abs(value) >= 1e4 else (f"{value:.4g}" if isinstance(value, float) else str(value))
        return shown, repr(float(value)), True
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d"), value.isoformat(), False
    return str(value), str(value).lower(), False


def _is_numeric(column: pd.Series) -> bool:
    """A numeric column, or an object column whose filled cells are all numbers."""
    if pd.api.types.is_bool_dtype(column):
        return False
    if pd.api.types.is_numeric_dtype(column):
        return True
    values = [v for v in column if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return bool(values) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


@dataclass
class DataTable:
    """A DataFrame shown as an escaped HTML table with a row filter and click-to-sort headers (inline JS, no CDN).

    At most `limit` rows are shown (the frame's first rows: callers put the most relevant first); the table then
    says how many rows there are in all and names `source`, the CSV that holds them all.
    """

    frame: pd.DataFrame
    caption: str = ""
    source: str = ""
    limit: int | None = TABLE_ROWS

    @property
    def shown(self) -> pd.DataFrame:
        """The rows the table shows."""
        return self.frame if self.limit is None else self.frame.head(self.limit)

    def note(self) -> str:
        """'200 of 6,382 rows (the most relevant first); all rows: data/processed/framing.csv', or ''."""
        total, shown = len(self.frame), len(self.shown)
        if shown >= total:
            return ""
        where = f"; all rows: {self.source}" if self.source else ""
        return f"Showing {shown:,} of {total:,} rows, the most relevant first{where}."

    def _repr_html_(self) -> str:
        frame = self.shown
        total = len(self.frame)
        numeric = [_is_numeric(frame.iloc[:, i]) for i in range(frame.shape[1])]
        lengths = [frame.iloc[:, i].astype(str).str.len() for i in range(frame.shape[1])]
        long = [bool(len(n)) and n.mean() > 45 for n in lengths]
        short = [bool(len(n)) and n.max() <= 12 for n in lengths]
        head = "".join(f'<th data-num="{int(n)}" title="click to sort">{escape(c)}</th>'
                       for c, n in zip(frame.columns, numeric, strict=True))
        body = []
        for row in frame.itertuples(index=False, name=None):
            cells = []
            for value, is_num, is_long, is_short in zip(row, numeric, long, short, strict=True):
                shown, key, num = _cell(value)
                klass = ' class="num"' if (is_num and num) else (
                    ' class="long"' if is_long else (' class="short"' if is_short else ""))
                cells.append(f'<td{klass} data-v="{escape(key)}">{escape(shown)}</td>')
            body.append("<tr>" + "".join(cells) + "</tr>")
        caption = f'<span class="lk-dt-cap">{escape(self.caption)}</span>' if self.caption else ""
        n = len(frame)
        count = f"{n} of {n} rows" + (f" shown ({total:,} in all)" if total > n else "")
        more = f'<div class="lk-dt-more">{escape(self.note())}</div>' if total > n else ""
        return (
            f'<div class="lk-dt" data-total="{total:,}">{_CSS}<div class="lk-dt-bar"><input type="search" '
            f'placeholder="Filter rows…" aria-label="Filter rows"><span class="lk-dt-count">{count}</span>{caption}'
            f'</div><div class="lk-dt-wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
            f"</table></div>{more}{_JS}</div>"
        )

    def __repr__(self) -> str:
        note = self.note()
        return self.shown.to_string(index=False, max_rows=20, max_colwidth=60) + (f"\n{note}" if note else "")


@dataclass
class Findings:
    """Key findings as sentences (computed from the tables), shown as an escaped bulleted list."""

    sentences: list[str]
    heading: str = ""

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{escape(s)}</li>" for s in self.sentences)
        head = f"<p><strong>{escape(self.heading)}</strong></p>" if self.heading else ""
        return f'<div class="lk-findings" style="font-size:14px;line-height:1.5">{head}<ul>{items}</ul></div>'

    def __repr__(self) -> str:
        return "\n".join(f"- {s}" for s in self.sentences)

    def __iter__(self):
        return iter(self.sentences)


@dataclass
class Note:
    """A chart's method note: one short paragraph in muted type under the chart (escaped)."""

    text: str
    heading: str = "Method note"

    def _repr_html_(self) -> str:
        return (f'<p class="lk-note" style="font-size:13px;color:#5f5f5f;margin:.2em 0 1em 0">'
                f"<strong>{escape(self.heading)}.</strong> {escape(self.text)}</p>")

    def _repr_markdown_(self) -> str:
        return f"*{self.heading}.* {self.text}"

    def __repr__(self) -> str:
        return f"{self.heading}. {self.text}"
