/** The satisfaction survey's refusals, mapped to HTTP and socket errors at the edge. */
import { DomainError } from '../domain/errors';

/** The survey's window has passed: no answer is taken any more. */
export class SurveyClosed extends DomainError {
  constructor() {
    super('survey_closed', 'This survey no longer takes answers.', 410);
  }
}
