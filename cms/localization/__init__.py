"""Translation work per language: the localization queues, the overview grid and assignments."""
