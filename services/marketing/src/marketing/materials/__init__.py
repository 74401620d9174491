"""Marketing materials: brochures and gifts in stock, issued to campaigns at their unit cost."""
