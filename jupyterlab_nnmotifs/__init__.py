"""JupyterLab extension of nnmotifs: ships the prebuilt labextension (figure and network renderers) and a
small server extension the Network Inspector reads weight shards through (see ``handlers.py``)."""

try:
    from ._version import __version__
except ImportError:  # running from a source checkout that was never built or installed
    __version__ = "dev"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "nnmotifs"}]


def _jupyter_server_extension_points():
    return [{"module": "jupyterlab_nnmotifs"}]


def _load_jupyter_server_extension(server_app):
    """Registers the Network Inspector's handler (``GET nnmotifs/referenced-file``)."""
    from .handlers import setup_handlers

    setup_handlers(server_app.web_app)
    server_app.log.info("nnmotifs: Network Inspector file handler enabled")
