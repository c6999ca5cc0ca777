import type { CellResult } from '../results-store';
import type { AnalysisSection } from './analysis-section';
import { calibrationSection } from './report-calibration';
import { colourSection } from './report-colour';
import { inversionSection } from './report-inversion';
import { saliencySection } from './report-saliency';

/** The report's sections on what the features retain, for the analyses the run has cells of. */
export async function analysisSections(cells: CellResult[]): Promise<AnalysisSection[]> {
  const sections = [
    calibrationSection(cells),
    colourSection(cells),
    await inversionSection(cells),
    await saliencySection(cells),
  ];
  return sections.filter((s): s is AnalysisSection => s !== undefined);
}
