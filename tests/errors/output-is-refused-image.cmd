certificates @IN@/a.yaml @IN@/b.yaml --format pdf -o @IN@/con-dau.txt.png
