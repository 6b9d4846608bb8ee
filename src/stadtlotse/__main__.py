from stadtlotse.cli import main

main()
