"""JupyterLab extension of nnmotifs: ships the prebuilt labextension (figure and network renderers)."""

try:
    from ._version import __version__
except ImportError:  # running from a source checkout that was never built or installed
    __version__ = "dev"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "nnmotifs"}]
