"""The notebook in docs/ runs end to end on a real Jupyter kernel (nbclient), as a user would."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from tests.conftest import ROOT

NOTEBOOK = ROOT / "docs" / "notebook.ipynb"


def test_the_documented_notebook_runs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o for o in outputs if "text/html" in o.get("data", {})]
    assert any("<table" in o["data"]["text/html"] for o in html), "no HTML table shown"
    assert any("image/png" in o.get("data", {}) for o in outputs), "no figure shown"
