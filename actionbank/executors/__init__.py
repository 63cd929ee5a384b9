"""Where attempts run beyond this machine's processes: on a Ray cluster (``generate --executor ray``).

The local executors (this process, or N worker processes) are in :mod:`actionbank.attempts`;
this package holds :mod:`~actionbank.executors.ray` (Ray actors, each with its own scene) and
:mod:`~actionbank.executors.shipping` (a recorded episode as bytes, to cross machines that
share no file system). Ray is imported only when a Ray run starts: importing this package
imports neither Ray nor MuJoCo.
"""
