"""MuJoCo execution of compiled plans: scenes from gym configs, kinematics, the function
library, the Gymnasium environment and the plan executor.

Importing this package has no side effect on the process; a program that renders without a
display chooses MuJoCo's OpenGL backend first (:func:`sim.gl.prefer_headless_gl`).
"""
