certificates --org limit-org.yaml limit-list.csv --limit records=2 -o @OUT@/limit-csv-records.pdf
