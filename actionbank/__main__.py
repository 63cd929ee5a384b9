from actionbank.cli import run

run()
