"""What campaigns produce as files: the printable programme (pdf.py) and the statistics' CSV (csv.py)."""
