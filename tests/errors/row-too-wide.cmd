bulletin --month 2024-11 -l row-too-wide.layout.yaml ../../samples/ban-tin -o @OUT@/row-too-wide.pdf
