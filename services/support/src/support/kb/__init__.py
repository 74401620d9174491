"""The knowledge base (知识库): categories, articles in Chinese and English, published versions, search."""
