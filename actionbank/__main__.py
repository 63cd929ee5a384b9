from actionbank.cli import main

main()
