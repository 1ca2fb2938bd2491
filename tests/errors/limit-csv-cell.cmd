check --org limit-org.yaml limit-list.csv --limit csv-cell-bytes=20
