import { initBackend } from '@selfsup/runtime';
import { describeByolStepReference } from './byol-step-reference';

// tfjs's cpu kernels are slow: the one-step case only (three steps take minutes on 2 cores).
describeByolStepReference('cpu', () => initBackend('cpu'), { threeSteps: false });
