"""Heavy or shared read queries, one module per feature."""
