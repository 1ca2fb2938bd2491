certificates @IN@/a.yaml -o @IN@/a.yaml
