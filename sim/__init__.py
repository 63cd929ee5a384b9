"""MuJoCo execution of compiled plans (issue 3)."""
