"""The loop back into LeRobot: our scenes as a LeRobot environment (``--env.type=actionbank``,
registered by the ``lerobot_env_actionbank`` plugin), so that ``lerobot-eval`` and
``lerobot-train`` run policies trained on ``actionbank generate``'s datasets in the scene they
were recorded in. Importing this package loads neither MuJoCo nor LeRobot."""

from actionbank.loop.scene import (
    EPISODE_SLACK,
    LoopScene,
    LoopSceneError,
    load_scene,
    policy_features,
    recorded_features,
)

__all__ = ["EPISODE_SLACK", "LoopScene", "LoopSceneError", "load_scene", "policy_features", "recorded_features"]
