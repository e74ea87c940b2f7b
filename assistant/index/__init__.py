"""Index: embeddings, vector store, BM25 and the build manifest."""
