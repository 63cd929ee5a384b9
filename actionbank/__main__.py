from actionbank.launch import run

run()
