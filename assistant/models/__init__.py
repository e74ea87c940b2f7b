"""Embedding models: the bundled E5's conversion (e5), its ONNX export and encoder (onnx), the contract (base)."""
