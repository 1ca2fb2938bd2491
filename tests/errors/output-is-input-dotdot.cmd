certificates @IN@/a.yaml -o @IN@/sub/../a.yaml
