"""The service and file name a log file's path gives its lines.

Most files are named for their program (`nginx.log`, `auth.log.1`). The kubelet's files are not: every container
writes `/var/log/pods/<namespace>_<pod>_<uid>/<container>/0.log`, and `/var/log/containers/` links them as
`<pod>_<namespace>_<container>-<container id>.log`. There the service is the pod's workload and the file is named
for the namespace, pod and container, so many pods' logs ingested together keep apart.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath

from functions._platform.topology.attach import generated_bases

_POD_DIR = re.compile(r"^(?P<namespace>[a-z0-9-]+)_(?P<pod>[a-z0-9.-]+)_[0-9a-f-]{32,36}$")
_CONTAINER_LINK = re.compile(r"^(?P<pod>[a-z0-9.-]+)_(?P<namespace>[a-z0-9-]+)_(?P<container>[a-z0-9-]+)-[0-9a-f]{64}$")
_ROTATED = re.compile(r"^\d+\.log(?:\.\d{8}-\d{6})?(?:\.gz)?$")


def workload_of_pod(pod: str) -> str:
    """The workload a pod's generated name was made from (`cart-7d9f8b6c5-x2x7q` → `cart`, `db-0` → `db`)."""
    return next(iter(generated_bases(pod)), pod)


def names_of(path: Path) -> tuple[str, str]:
    """(default service, file name) for the lines of the file at `path`."""
    pure = PurePath(path)
    if _ROTATED.match(pure.name) and (pod_dir := _POD_DIR.match(pure.parent.parent.name)):
        namespace, pod = pod_dir.group("namespace"), pod_dir.group("pod")
        return workload_of_pod(pod), f"{namespace}/{pod}/{pure.parent.name}/{pure.name}"
    if pure.suffix == ".log" and (link := _CONTAINER_LINK.match(pure.stem)):
        namespace, pod, container = link.group("namespace", "pod", "container")
        return workload_of_pod(pod), f"{namespace}/{pod}/{container}/{pure.name}"
    return pure.stem.split(".")[0], pure.name
