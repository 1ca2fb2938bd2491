certificates @IN@/ward-list.yaml --format pdf -o @IN@/huy-hieu.png
