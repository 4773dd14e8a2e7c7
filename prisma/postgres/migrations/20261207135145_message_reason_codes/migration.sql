-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "errorCode" TEXT,
ADD COLUMN     "errorParams" TEXT,
ADD COLUMN     "statusReasonCode" TEXT,
ADD COLUMN     "statusReasonParams" TEXT;

-- AlterTable
ALTER TABLE "MessageEvent" ADD COLUMN     "reasonCode" TEXT,
ADD COLUMN     "reasonParams" TEXT;

