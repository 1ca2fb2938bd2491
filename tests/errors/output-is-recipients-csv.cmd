certificates @IN@/ward-list.yaml -o @IN@/danh-sach.csv
