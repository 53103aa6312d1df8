"""The released ST-GCN weights, fetched and converted in one call.

The original tool's ``tools/get_models.sh`` downloaded three state dicts
(Kinetics-skeleton, NTU-60 cross-subject and cross-view). Here each is
downloaded (resumably) into a cache and converted for the config it fits;
a URL given as ``load_from`` goes through the same cache.
"""
import hashlib
import os
import os.path as osp
import urllib.parse
from dataclasses import dataclass
from typing import Dict, Optional

from mmengine.config import Config

from stgcn_reg.checkpoints.formats import ORIGINAL_STGCN, read_state_dict
from stgcn_reg.utils.download import download, is_url

DEFAULT_BASE_URL = ('https://open-mmlab.s3.ap-northeast-2.amazonaws.com/'
                    'mmskeleton/models/st-gcn/')
CACHE_ENV = 'STGCN_REG_CACHE'


@dataclass(frozen=True)
class ReleasedModel:
    """A released original ST-GCN file and the config it fits.

    Args:
        name (str): Short name used on the command line.
        filename (str): File name on the release server.
        config (str): The config (relative to the repository) whose
            model the weights fit; the checkpoint is named after it.
    """

    name: str
    filename: str
    config: str

    @property
    def checkpoint_name(self) -> str:
        """``stgcn_ntu_xsub.pth`` for ``configs/stgcn_ntu_xsub.py``."""
        return osp.splitext(osp.basename(self.config))[0] + '.pth'


RELEASED_MODELS: Dict[str, ReleasedModel] = {
    model.name: model
    for model in (
        ReleasedModel('kinetics', 'st_gcn.kinetics.pt',
                      'configs/stgcn_kinetics.py'),
        ReleasedModel('ntu-xsub', 'st_gcn.ntu-xsub.pt',
                      'configs/stgcn_ntu_xsub.py'),
        ReleasedModel('ntu-xview', 'st_gcn.ntu-xview.pt',
                      'configs/stgcn_ntu_xview.py'),
    )
}


def cache_dir() -> str:
    """``$STGCN_REG_CACHE``, else ``~/.cache/stgcn_reg``."""
    return os.environ.get(CACHE_ENV) or osp.join(
        osp.expanduser('~'), '.cache', 'stgcn_reg')


def fetch_url(url: str,
              cache: Optional[str] = None,
              progress: bool = True) -> str:
    """The local copy of ``url`` in the cache, downloaded if absent.

    Files are kept as ``<cache>/downloads/<url hash>/<name>``, so two
    URLs ending in the same name do not collide and a second call (or a
    second distributed rank) reuses the file.
    """
    name = osp.basename(urllib.parse.urlsplit(url).path) or 'download'
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    folder = osp.join(cache or cache_dir(), 'downloads', digest)
    dest = osp.join(folder, name)
    if osp.isfile(dest):
        return dest
    try:
        return download(url, dest, progress=progress)
    finally:
        if osp.isdir(folder) and not os.listdir(folder):
            os.rmdir(folder)  # a failed first try leaves no empty folder


def resolve_url_load_from(cfg: Config, progress: bool = True) -> Optional[str]:
    """Replace a URL in ``cfg.load_from`` by its downloaded local copy.

    Returns:
        str, optional: The local file, or None when ``load_from`` is no
        URL (or the run resumes).
    """
    source = cfg.get('load_from')
    if not is_url(source) or cfg.get('resume'):
        return None
    cfg.load_from = fetch_url(source, progress=progress)
    return cfg.load_from


def get_released_model(name: str,
                       out_dir: str,
                       repo_root: str,
                       base_url: str = DEFAULT_BASE_URL,
                       cache: Optional[str] = None,
                       progress: bool = True) -> str:
    """Download one released model and convert it for its config.

    Args:
        name (str): A key of :data:`RELEASED_MODELS`.
        out_dir (str): Where the converted checkpoint goes.
        repo_root (str): The repository holding ``configs/``.
        base_url (str): Server folder holding the ``.pt`` files.
            Defaults to the original tool's.
        cache (str, optional): Download cache. Defaults to
            :func:`cache_dir`.
        progress (bool): Show a progress bar. Defaults to True.

    Returns:
        str: The converted checkpoint ``<out_dir>/<config name>.pth``.

    Raises:
        DownloadError: The download failed (offline, HTTP error).
        ValueError: The file is no original ST-GCN state dict or does not
            fit the config's model; nothing is written then.
    """
    model = RELEASED_MODELS[name]
    url = base_url.rstrip('/') + '/' + model.filename
    local = fetch_url(url, cache, progress)
    state_dict = read_state_dict(local, ORIGINAL_STGCN)
    if state_dict is None:
        raise ValueError(f'{url} (saved as {local}) is not an original '
                         'ST-GCN state dict')
    cfg = Config.fromfile(osp.join(repo_root, model.config))
    out_file = osp.join(out_dir, model.checkpoint_name)
    ORIGINAL_STGCN.save_as_ours(state_dict, url, out_file, cfg.model)
    return out_file
