bulletin @IN@/bulletin-control-caption.yaml --month 2024-11 -o @OUT@/ban-tin.pdf
