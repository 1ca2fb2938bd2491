certificates --org limit-org.yaml limit-list.csv --limit csv-columns=3 -o @OUT@/limit-csv-columns.pdf
