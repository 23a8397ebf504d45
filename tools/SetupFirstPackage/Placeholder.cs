namespace DlWorkbook.SetupFirst;

// The package needs one assembly for the notebook host to run its extension script (see the project file).
static class Placeholder;
