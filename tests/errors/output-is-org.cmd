certificates --org @IN@/org.yaml @IN@/list.csv -o @IN@/org.yaml
