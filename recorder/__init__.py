"""LeRobot recording of rollouts (issue 4): features, naming, provenance and a kill-safe writer.

Importing this package does not import LeRobot (nor torch); the writer does when it runs.
"""

from recorder.errors import (
    DatasetCorruptError,
    DatasetExistsError,
    DatasetInUseError,
    DatasetPathError,
    RecorderError,
    RunMismatchError,
)
from recorder.features import (
    ACTION,
    IMAGE_PREFIX,
    STATE,
    VELOCITY,
    camera_key,
    frame_values,
    lerobot_features,
)
from recorder.language import LANGUAGE_PERSISTENT, edges_at, episode_task
from recorder.lerobot_api import open_dataset
from recorder.naming import DEFAULT_ROOT, ROOT_ENV, dataset_name_prefix, dataset_root, sanitize
from recorder.provenance import (
    EPISODES_LOG,
    PROVENANCE_DIR,
    EpisodeInfo,
    RolloutInfo,
    load_spec,
    provenance_files,
    read_episode_records,
)
from recorder.reopen import ResumeCheck, check_for_resume
from recorder.spec import DatasetSpec, spec_errors
from recorder.staging import RepairReport, spool_folder
from recorder.writer import DatasetWriter, repair_dataset

__all__ = [
    "ACTION",
    "DEFAULT_ROOT",
    "EPISODES_LOG",
    "IMAGE_PREFIX",
    "LANGUAGE_PERSISTENT",
    "PROVENANCE_DIR",
    "ROOT_ENV",
    "STATE",
    "VELOCITY",
    "DatasetCorruptError",
    "DatasetExistsError",
    "DatasetInUseError",
    "DatasetPathError",
    "DatasetSpec",
    "DatasetWriter",
    "EpisodeInfo",
    "RecorderError",
    "RepairReport",
    "ResumeCheck",
    "RolloutInfo",
    "RunMismatchError",
    "camera_key",
    "check_for_resume",
    "dataset_name_prefix",
    "dataset_root",
    "edges_at",
    "episode_task",
    "frame_values",
    "lerobot_features",
    "load_spec",
    "open_dataset",
    "provenance_files",
    "read_episode_records",
    "repair_dataset",
    "sanitize",
    "spec_errors",
    "spool_folder",
]
