minutes @IN@/phuong-11-quan-3.yaml -o @IN@/phuong-11-quan-3.yaml
