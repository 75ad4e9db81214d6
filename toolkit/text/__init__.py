"""Text pieces every stage shares: what an Arabic letter is and how Arabic
is normalised (`arabic`), the one number reader (`numbers`), sentence
segmentation (`segment`), sentence IDs (`ids`), Markdown escaping
(`markdown`) and the results of per-text readers kept for a run (`memo`)."""
