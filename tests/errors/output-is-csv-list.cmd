certificates --org @IN@/org.yaml @IN@/list.csv -o @IN@/list.csv
