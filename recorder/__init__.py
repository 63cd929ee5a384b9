"""LeRobot recording of rollouts (issue 4)."""
