"""Jupyter server configuration for the Galata browser tests of nnmotifs.

Galata's helper sets a throw-away root directory, no token, no browser and the in-page test helpers. On
top of that:

- the repository's ``examples/`` folder is linked into the root, so the quickstart notebook runs next to
  its original (same working directory, same ``node_modules`` resolution for the tslab kernel);
- ``NNMOTIFS_UI_PORT`` chooses the port (default 8888), so the tests do not collide with a running lab;
- ``NNMOTIFS_LABEXTENSIONS_PATH`` adds a folder of prebuilt labextensions (a folder holding ``nnmotifs/``
  -> ``jupyterlab_nnmotifs/labextension``), for a Jupyter in which the extension is not installed.
"""

import os
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 (c is the config object Jupyter passes in)

repo = Path(__file__).resolve().parent.parent
root = Path(c.ServerApp.root_dir)  # noqa: F821
examples = root / "examples"
if not examples.exists():
    examples.symlink_to(repo / "examples", target_is_directory=True)

# CI containers and this machine run as root; the server is bound to localhost and throw-away anyway.
c.ServerApp.allow_root = True  # noqa: F821
# Server output goes to the test log: errors only (Galata's clean-up requests draw 404 warnings).
c.ServerApp.log_level = "ERROR"  # noqa: F821
c.ServerApp.port = int(os.environ.get("NNMOTIFS_UI_PORT", "8888"))  # noqa: F821

extra = os.environ.get("NNMOTIFS_LABEXTENSIONS_PATH")
paths = [str(c.LabServerApp.extra_labextensions_path)]  # noqa: F821
if extra:
    paths.append(extra)
c.LabServerApp.extra_labextensions_path = paths  # noqa: F821

# Notebook 7 (installed beside JupyterLab) serves /notebooks/… from the same server: expose its app to the
# page as Galata does for JupyterLab's, for tests/notebook7.spec.ts.
c.JupyterNotebookApp.expose_app_in_browser = True  # noqa: F821
