"""Engines that run the analysis pipeline elsewhere than in this process (Apache Spark)."""
