"""The monthly compliance report (issue 10): per primary center and per State or Territory,
TA deliveries, summaries on time, late and missing (A10), and entries made late (A2), as a
page, a CSV file and an XLSX workbook."""
