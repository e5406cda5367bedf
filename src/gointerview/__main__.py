from gointerview.cli import main

main()
